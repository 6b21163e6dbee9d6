// A small CNN for 28×28 greyscale images, as a builder module: sweepModel imports it in every worker, and the other
// examples build it too. It takes tfjs from its context, so the same file works in Node and in a Web Worker; the
// seed reaches every initialiser, so the same seed builds the same model.
export default function build(lr, { tf, tfl, seed }) {
  const init = (k) => tfl.initializers.glorotUniform({ seed: seed * 16 + k });
  const model = tfl.sequential();
  model.add(
    tfl.layers.conv2d({
      inputShape: [28, 28, 1],
      filters: 8,
      kernelSize: 3,
      activation: 'relu',
      kernelInitializer: init(1),
    }),
  );
  model.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tfl.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu', kernelInitializer: init(2) }));
  model.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tfl.layers.flatten());
  model.add(tfl.layers.dense({ units: 64, activation: 'relu', kernelInitializer: init(3) }));
  model.add(tfl.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: init(4) }));
  model.compile({ optimizer: tf.train.sgd(lr), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}
