// The spec's zod schemas are imported when a call is refused or a response checked
// (src/core/validation.ts). A test that drives fake timers would wait on that module load, which no
// timer advance resolves, so each test file starts with them loaded; test/core/validation.test.ts
// and test/core/validation-compiled.test.ts cover the load itself.
import { loadSchemas } from '../src/core/validation.ts'

await loadSchemas()
