/**
 * The data a browser tab can train on: MNIST (served next to the page) or the shapes set generated in the tab, with
 * the bounds a tab needs. The page's data field reads with this check (settings.ts, the data setting's web kind).
 */
import { UsageError } from './errors.js';
import { isShapesSpec, parseShapesSpec } from './shapesSpec.js';

/** The training examples MNIST has. */
export const MNIST_TRAIN = 60000;
/** The most shapes images (train + test) a browser tab generates. */
const WEB_SHAPES_IMAGES = 70000;

/** The data a page can train on: mnist, or shapes generated in the tab. */
export function checkWebData(s: string): void {
  if (s === 'mnist') return;
  if (!isShapesSpec(s))
    throw new UsageError(`data "${s}" is not available in the browser: use mnist, shapes or shapes:train=512,test=256`);
  const p = parseShapesSpec(s);
  if (p.train + p.test > WEB_SHAPES_IMAGES)
    throw new UsageError(
      `${p.train + p.test} shapes images: use at most ${WEB_SHAPES_IMAGES} (train + test) in the browser`,
    );
}

/** The training examples of a data set the page can train on (mnist or a shapes spec). */
export function webTrainExamples(data: string): number {
  return isShapesSpec(data) ? parseShapesSpec(data).train : MNIST_TRAIN;
}
