/**
 * One generated image: RGBA bytes, row-major, like ImageData, so a page can
 * `ctx.putImageData(new ImageData(img.data, img.width, img.height), x, y)`.
 * Gray-scale generators are expanded to gray RGB with opaque alpha.
 */
export interface GeneratedImage {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

/** What one call to sample / rank / decode returns. */
export interface SampleBatch {
  images: GeneratedImage[];
  /** The latent vectors behind the images, count × latentDim, so a page can revisit or interpolate them. */
  z: Float32Array;
  /** Wall time of the generator pass including the read-back, in ms. */
  milliseconds: number;
  /** rank() only: the discriminator's score of each returned image, best first. */
  scores?: Float32Array;
  /** Conditional models only: the class each image was drawn as. */
  labels?: Int32Array;
}
