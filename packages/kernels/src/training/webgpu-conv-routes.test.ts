import * as tf from '@tensorflow/tfjs-core';
import { expect, test } from 'vitest';
import { CONV_ROUTE_FLAG, convRoute, FILTER_GRADIENT_FLAG, filterGradientRoute } from './webgpu-conv-routes.js';

test.each([
  { flag: CONV_ROUTE_FLAG, read: convRoute, byDefault: 'forger', other: 'tfjs' },
  { flag: FILTER_GRADIENT_FLAG, read: filterGradientRoute, byDefault: 'direct', other: 'composite' },
])('$flag: $byDefault unless set to $other; other values are refused with both named', ({ flag, read, byDefault, other }) => {
  expect(process.env[flag]).toBeUndefined();
  expect(read()).toBe(byDefault);
  expect(() => tf.env().set(flag, 'fast')).toThrow(new RegExp(`${flag} must be "${byDefault}" or "${other}", got "fast"`));
  expect(read()).toBe(byDefault);
  tf.env().set(flag, other);
  expect(read()).toBe(other);
  tf.env().set(flag, byDefault);
  expect(read()).toBe(byDefault);
});
