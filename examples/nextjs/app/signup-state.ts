/** What the signup form shows after the server action ran. */
export type SignupState =
  | { status: 'idle' }
  | { status: 'tracked'; eventId: string }
  | { status: 'error'; message: string }

export const initialSignupState: SignupState = { status: 'idle' }
