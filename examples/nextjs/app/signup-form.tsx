'use client'

import { useActionState } from 'react'

import { trackSignup } from './actions'
import { initialSignupState } from './signup-state'

export function SignupForm() {
  const [state, action, pending] = useActionState(trackSignup, initialSignupState)
  return (
    <form action={action}>
      <label>
        Email <input name="email" type="email" required autoComplete="email" />
      </label>
      <button type="submit" disabled={pending}>
        {pending ? 'Signing up…' : 'Sign up'}
      </button>
      {state.status === 'tracked' && <p role="status">Welcome aboard.</p>}
      {state.status === 'error' && <p role="alert">{state.message}</p>}
    </form>
  )
}
