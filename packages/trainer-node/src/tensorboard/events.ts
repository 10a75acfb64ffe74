import { tensorflow } from '@forger/proto/tensorboard';

/** The file_version of the first record, as TensorFlow 2's summary writer and tensorboardX write it. */
export const FILE_VERSION = 'brain.Event:2';

/** Summary.Image.colorspace: 1 grayscale, 2 grayscale + alpha, 3 RGB, 4 RGBA (summary.proto). Our grids are RGBA PNGs. */
export const COLORSPACE_RGBA = 4;

/** The tag of the fixed-noise sample grids (TensorBoard's Images tab shows one slider per tag). */
export const SAMPLES_TAG = 'samples';

/** Encoded bytes of the event every event file starts with. */
export function fileVersionEvent(wallTimeS: number): Uint8Array {
  return tensorflow.Event.encode({ wallTime: wallTimeS, step: 0, fileVersion: FILE_VERSION }).finish();
}

/** One Event with one Summary.Value.simple_value per scalar (tag = metric name), as tf.summary.scalar's v1 form. */
export function scalarsEvent(step: number, wallTimeS: number, scalars: Readonly<Record<string, number>>): Uint8Array {
  const value = Object.entries(scalars).map(([tag, simpleValue]) => ({ tag, simpleValue }));
  return tensorflow.Event.encode({ wallTime: wallTimeS, step, summary: { value } }).finish();
}

/** One Event with a Summary.Value.image: an encoded PNG, shown by TensorBoard's Images tab with a step slider. */
export function imageEvent(
  tag: string,
  step: number,
  wallTimeS: number,
  image: { png: Uint8Array; width: number; height: number; colorspace?: number },
): Uint8Array {
  const encoded = { height: image.height, width: image.width, colorspace: image.colorspace ?? COLORSPACE_RGBA, encodedImageString: image.png };
  return tensorflow.Event.encode({ wallTime: wallTimeS, step, summary: { value: [{ tag, image: encoded }] } }).finish();
}
