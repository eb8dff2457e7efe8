import * as kyModule from 'ky'
import type { KyInstance } from 'ky'

/**
 * ky, from both builds. ky is ESM-only; `dist/index.cjs` gets it through Node's require() of an ES
 * module, which returns the module namespace, and esbuild's CommonJS interop then wraps that whole
 * namespace as `default`: there the ky function is one level deeper (`default.default`).
 */
const imported = kyModule.default as KyInstance | { default: KyInstance }

export const ky: KyInstance = 'create' in imported ? imported : imported.default
