// Placeholder: the sandbox lands here.
export const SANDBOX_PLACEHOLDER = true
