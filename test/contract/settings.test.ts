/** The table of settings: each row's kind, default and words, and the three shells' wording of one problem. */
import { describe, expect, it } from 'vitest';
import {
  configFromValues,
  DEFAULTS,
  readSetting,
  SettingError,
  validateConfig,
  valuesFromConfig,
} from '../../src/contract/configure.js';
import { defaultFor, defaultValues, SETTINGS, settingsOf, type Setting } from '../../src/contract/settings.js';
import { SettingProblem, wholeNumber, positiveList, orWord } from '../../src/contract/settingKinds.js';

const rows = Object.values(SETTINGS) as Setting[];

describe('the settings table', () => {
  it('names each setting once per shell: key, flag and field are unique', () => {
    for (const name of ['key', 'flag', 'field'] as const) {
      const values = rows.map((s) => s[name]).filter((v) => v !== null);
      expect(new Set(values).size, name).toBe(values.length);
    }
  });

  it('keeps every default valid, and reads back what it writes', () => {
    for (const s of rows) {
      for (const command of ['sweep', 'lr-find', 'reproduce'] as const) {
        if (!s.commands[command]) continue;
        const d = defaultFor(s, command);
        expect(s.kind.check(d), `${s.key} ${command}`).toEqual(d);
        expect(s.kind.parse(s.kind.format(d)), `${s.key} ${command}`).toEqual(d);
      }
    }
  });

  it('gives lr-find its own window default and no learning rates or epochs', () => {
    expect(defaultValues('lr-find').windowSteps).toBe(1);
    expect(defaultValues('sweep').windowSteps).toBeNull();
    expect(settingsOf('lr-find').map((s) => s.flag)).not.toContain('lr');
    expect(settingsOf('sweep').map((s) => s.flag)).not.toContain('start');
  });

  it('builds the default config from the defaults, with the fields in the order records have always had', () => {
    expect(Object.keys(DEFAULTS)).toEqual([
      'data',
      'trainLimit',
      'model',
      'optimizer',
      'lrs',
      'seeds',
      'epochs',
      'batch',
      'windowSteps',
      'tau',
      'probeSize',
      'schedule',
      'weightDecay',
      'divergeFactor',
      'arithmetic',
    ]);
    expect(DEFAULTS).toMatchObject({
      data: 'mnist',
      lrs: [1, 0.3, 0.1, 0.03, 0.01, 0.003, 0.001, 0.0001],
      seeds: [1],
      epochs: 1,
      batch: 64,
      divergeFactor: 4,
      arithmetic: 'auto',
    });
    expect(configFromValues(valuesFromConfig({ ...DEFAULTS, seeds: [7, 8, 9] }), 'api').seeds).toEqual([7, 8, 9]);
  });
});

describe('value kinds', () => {
  it('whole numbers: say what is wrong with the text as typed', () => {
    const k = wholeNumber({ min: 1, max: 10, example: '3' });
    expect(k.parse(' 7 ')).toBe(7);
    expect(() => k.parse('1.5')).toThrow('"1.5" must be a whole number from 1 to 10');
    expect(() => k.parse('x')).toThrow('"x" is not a number');
    expect(() => k.parse('11')).toThrow(SettingProblem);
  });

  it('lists: empty entries, signs, duplicates and lengths', () => {
    const k = positiveList({ example: '0.1,0.01', what: 'learning rates', max: 3 });
    expect(k.parse(' 0.1, 1e-2 ,.001')).toEqual([0.1, 0.01, 0.001]);
    expect(() => k.parse('0.1,,0.01')).toThrow(/has an empty entry/);
    expect(() => k.parse('-0.1')).toThrow(/"-0.1" is negative/);
    expect(() => k.parse('0x10')).toThrow(/"0x10" is not a number/);
    expect(() => k.parse('1e999')).toThrow(/Infinity is not a positive finite number/);
    expect(() => k.parse('0.1,0.10')).toThrow(/0.1 appears twice/);
    expect(() => k.parse('1,2,3,4')).toThrow(/4 learning rates: use at most 3/);
  });

  it('a word for none: off, epoch, all', () => {
    const k = orWord(wholeNumber({ min: 1, example: '4' }), 'off', null);
    expect(k.parse('off')).toBeNull();
    expect(k.format(null)).toBe('off');
    expect(k.parse('4')).toBe(4);
  });
});

describe('one problem, three shells', () => {
  it('the CLI names the flag, the library the key, the page nothing (its message sits by the field)', () => {
    const words = (shell: 'cli' | 'page' | 'api') => {
      try {
        readSetting(SETTINGS.epochs, '0', shell);
      } catch (e) {
        expect(e).toBeInstanceOf(SettingError);
        expect((e as SettingError).setting).toBe('epochs');
        return (e as Error).message;
      }
    };
    expect(words('cli')).toBe('--epochs "0" must be a whole number ≥ 1: e.g. --epochs 1');
    expect(words('api')).toBe('epochs "0" must be a whole number ≥ 1: e.g. epochs: 1');
    // the page reads with a browser tab's bounds
    expect(words('page')).toBe('"0" must be a whole number from 1 to 100: e.g. 1');
  });

  it("validateConfig words the library's config in its keys", () => {
    expect(() => validateConfig({ ...DEFAULTS, lrs: [0.1, -1] })).toThrow(
      'lrs -1 is not a positive finite number: e.g. lrs: [0.1,0.01]',
    );
    expect(() => validateConfig({ ...DEFAULTS, optimizer: 'lbfgs' as never })).toThrow(
      'optimizer "lbfgs" is unknown: use one of sgd, momentum, adam: e.g. optimizer: "sgd"',
    );
    const { epochs: _, ...noEpochs } = DEFAULTS;
    expect(() => validateConfig(noEpochs as never)).toThrow('epochs is missing: e.g. epochs: 1');
    expect(() => validateConfig({ ...DEFAULTS, seeds: [1, 1] })).toThrow(/lists a seed twice/);
    expect(() => validateConfig(null as never)).toThrow(/the config is not an object/);
    expect(validateConfig({ ...DEFAULTS, schedule: ' warmup:10+constant ' }).schedule).toBe('warmup:10');
  });

  it('seeds past 2^32 − 1 are refused on the seed', () => {
    expect(() => configFromValues({ ...defaultValues('sweep'), seed: 0xffffffff, seeds: 2 }, 'cli')).toThrow(
      '--seed 4294967295 with 2 seeds would pass 4294967295: start lower',
    );
  });
});
