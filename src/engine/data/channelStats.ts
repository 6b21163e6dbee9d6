/**
 * Per-channel mean and standard deviation of a set of 8-bit images, in the units the network sees (pixel / 255): what a
 * model that starts with `standardize` divides its input by. Counted exactly (a histogram of byte values per channel),
 * then reduced in float64 in a fixed order, so every engine gets the same numbers.
 *
 *     channelStats(mnist.trainImages, 1) // { mean: [0.1307…], std: [0.3081…] }
 */
import type { ChannelStats } from '../../contract/record.js';

const cache = new WeakMap<Uint8Array, Map<number, ChannelStats>>();

/** The statistics of `images` (channels last, `channels` interleaved); a constant channel gets std 1 (left as it is, centred). */
export function channelStats(images: Uint8Array, channels: number): ChannelStats {
  const known = cache.get(images)?.get(channels);
  if (known) return known;
  if (!Number.isInteger(channels) || channels < 1 || images.length % channels !== 0 || images.length === 0) {
    throw new Error(`channelStats: ${images.length} bytes do not hold pixels of ${channels} channels`);
  }
  const counts = new Float64Array(256 * channels);
  for (let i = 0; i < images.length; i += channels) {
    for (let c = 0; c < channels; c++) counts[c * 256 + images[i + c]]++;
  }
  const n = images.length / channels;
  const stats: ChannelStats = { mean: [], std: [] };
  for (let c = 0; c < channels; c++) {
    let s1 = 0;
    let s2 = 0;
    for (let k = 1; k < 256; k++) {
      const m = counts[c * 256 + k];
      s1 += m * k; // exact: integers below 2^53
      s2 += m * k * k;
    }
    const mean = s1 / n;
    const variance = Math.max(0, s2 / n - mean * mean);
    stats.mean.push(mean / 255);
    stats.std.push(variance > 0 ? Math.sqrt(variance) / 255 : 1);
  }
  const byChannels = cache.get(images) ?? new Map<number, ChannelStats>();
  byChannels.set(channels, stats);
  cache.set(images, byChannels);
  return stats;
}
