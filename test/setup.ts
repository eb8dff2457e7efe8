// The spec's schemas are imported on the first validated call (src/core/validation.ts). A test
// that drives fake timers would wait on that module load, which no timer advance resolves, so each
// test file starts with them loaded; test/core/validation.test.ts covers the load itself.
import { loadSchemas } from '../src/core/validation.ts'

await loadSchemas()
