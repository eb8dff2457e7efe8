import { SignupForm } from './signup-form'

export default function Home() {
  return (
    <main>
      <h1>Get product updates</h1>
      <SignupForm />
    </main>
  )
}
