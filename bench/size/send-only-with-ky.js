// The send-only app with ky counted: ky 1.14.3 is the SDK's HTTP layer. Where the SDK's transport
// imports ky itself, this export names the same module and adds nothing; where it does not yet, it
// puts ky's bytes in the bundle so that the budget is measured with them.
export { send } from './send-only.js'
export { default as ky } from 'ky'
