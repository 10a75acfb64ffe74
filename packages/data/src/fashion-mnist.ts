// Fashion-MNIST (Xiao, Rasul & Vollgraf 2017) ships as MNIST-layout idx files;
// only its class names differ. Pass them as `classNames` when loading the pair.
export const FASHION_MNIST_CLASS_NAMES: readonly string[] = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
];
