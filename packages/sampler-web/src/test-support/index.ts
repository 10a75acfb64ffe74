// Test-only helpers shared by sampler-web and the demo (not built, not published).
export { serveStatic, type Route, type StaticServer } from './static-server.js';
export { chromiumArgs, chromiumPath, launchChromium, watchPage, webGpuAdapter } from './chromium.js';
export { acganSpec, dcganSpec, improvedGanSpec, makeCheckpoint, radfordDcganSpec, ssganSpec, vanillaSpec } from './checkpoints.js';
export { CROSS_ORIGIN_ISOLATION_HEADERS } from '../cross-origin-isolation.js';
export { bundleBuilt, bundleFolder, bundleTestPage, openBundlePage, type BundlePage } from './bundle-page.js';
