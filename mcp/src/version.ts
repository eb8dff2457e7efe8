import pkg from '../package.json' with { type: 'json' }

/** The package's own version, reported to MCP hosts in `initialize`. */
export const VERSION: string = pkg.version
