/**
 * Issue 24, class 8: what a person types is read strictly. Numbers are decimal only, settings that make a run longer
 * have a maximum, presets and layer types are looked up as own keys only, a JSON model layer refuses keys it does not
 * know, and one string layer is one token.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULTS, readSetting, SettingError, validateConfig } from '../../src/contract/configure.js';
import { UsageError } from '../../src/contract/errors.js';
import { modelFromJson, parseModelSpec } from '../../src/contract/modelSpec.js';
import { parseSchedule } from '../../src/contract/schedule.js';
import { SETTINGS } from '../../src/contract/settings.js';
import { parseShapesSpec } from '../../src/contract/shapesSpec.js';
import { intFlag } from '../../src/cli/args.js';
import { parseWorkers } from '../../src/store/shard.js';

describe('numbers are decimal only', () => {
  it.each(['0x10', '0b11', '0o17', '1_000', 'Infinity'])('a number setting refuses %s', (text) => {
    expect(() => readSetting(SETTINGS.weightDecay, text, 'cli')).toThrow(/--weight-decay .*is not a number/);
    expect(() => readSetting(SETTINGS.tau, text, 'cli')).toThrow(SettingError);
  });

  it('a number setting still reads the decimals a person types', () => {
    for (const [text, v] of [
      ['0.0005', 0.0005],
      ['.5', 0.5],
      ['1e-7', 1e-7],
      ['+2', 2],
      ['4', 4],
    ] as const)
      expect(readSetting(SETTINGS.end, text, 'cli')).toBe(v);
  });

  it('a learning-rate list refuses hexadecimal', () => {
    expect(() => readSetting(SETTINGS.lrs, '0x10', 'cli')).toThrow(/--lr "0x10" is not a number/);
  });

  it('the schedule refuses a hexadecimal gamma', () => {
    expect(() => parseSchedule('step:300,0x1')).toThrow(UsageError);
  });

  it('the shapes spec refuses a hexadecimal parameter', () => {
    expect(() => parseShapesSpec('shapes:train=0x40')).toThrow(/train="0x40" is not a number/);
  });

  it('--workers refuses hexadecimal and exponents', () => {
    expect(() => parseWorkers('0x2')).toThrow(/--workers "0x2"/);
    expect(() => parseWorkers('2e0')).toThrow(/--workers "2e0"/);
    expect(parseWorkers('2')).toBe(2);
  });

  it("a command's own whole-number flag refuses hexadecimal", () => {
    expect(() => intFlag('0x1F90', 'port', '8080', 0)).toThrow(/--port "0x1F90"/);
    expect(intFlag('8080', 'port', '8080', 0)).toBe(8080);
  });
});

describe('settings that make a run longer have a maximum', () => {
  it.each([
    ['epochs', '1000000000000'],
    ['seeds', '1000000000'],
    ['windows', '1000000000'],
    ['windowSteps', '1000000000000'],
  ] as const)('%s refuses %s on the command line', (key, text) => {
    expect(() => readSetting(SETTINGS[key], text, 'cli')).toThrow(/must be at most \d+: e.g./);
  });

  it('the library refuses epochs: 1e308', () => {
    expect(() => validateConfig({ ...DEFAULTS, epochs: 1e308 })).toThrow(
      /^epochs 1e\+308 must be at most 100000: e.g. epochs: 1$/,
    );
  });

  it('a list of learning rates has a maximum length', () => {
    const many = Array.from({ length: 5000 }, (_, i) => (i + 1) / 1e4).join(',');
    expect(() => readSetting(SETTINGS.lrs, many, 'cli')).toThrow(/5000 learning rates: use at most/);
  });
});

describe('presets and layer types are own keys only', () => {
  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'])(
    'model %s is unknown, not "model undefined"',
    (name) => {
      expect(() => parseModelSpec(name)).toThrow(new RegExp(`^model "${name}" does not parse`));
    },
  );

  it.each(['constructor', '__proto__', 'toString'])('a JSON layer of type %s is unknown', (type) => {
    expect(() => modelFromJson({ layers: [{ type }] })).toThrow(new RegExp(`layer "${type}" is unknown`));
  });
});

describe('a JSON model is read strictly', () => {
  it('refuses a key a dense layer does not know', () => {
    expect(() => modelFromJson({ layers: [{ type: 'dense', units: 8, activation: 'relu' }] })).toThrow(
      /layer 1 \(dense\) has "activation", which a dense layer does not take: its keys are type, units/,
    );
  });

  it('refuses a key on an activation layer', () => {
    expect(() => modelFromJson({ layers: [{ type: 'relu', alpha: 0.1 }] })).toThrow(/layer 1 \(relu\) has "alpha"/);
  });

  it('refuses keys beside "layers"', () => {
    expect(() => modelFromJson({ layers: ['relu'], optimizer: 'adam' })).toThrow(/has "optimizer"/);
  });

  it('reads one string layer as one token, not a comma list', () => {
    expect(() => modelFromJson({ layers: ['dense8,relu,dense4'] })).toThrow(/layer 1 .*one layer token/);
  });

  it('still reads the layers it knows', () => {
    expect(
      modelFromJson({
        layers: [{ type: 'conv2d', kernel: 3, channels: 4, padding: 'same' }, 'relu', { type: 'dense', units: 8 }],
      }),
    ).toBe('layers:conv3x3x4:same,relu,dense8');
  });
});
