// Kept equal to package.json's "version" by test/version.test.ts (a bundler-free constant, so that
// the same build reads it on every runtime without JSON imports).
export const VERSION = '0.1.0'
