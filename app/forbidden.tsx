import { ButtonLink } from '@/components/ui/button';

export default function Forbidden() {
  return (
    <main id="main" className="mx-auto flex min-h-dvh max-w-lg flex-col items-center justify-center px-4 text-center">
      <p className="text-sm font-semibold text-brand-700">403</p>
      <h1 className="mt-2 text-3xl font-bold tracking-tight">This area is for SkyPost operators</h1>
      <p className="mt-3 text-slate-700">Your account does not have access to the operations portal. If you think it should, ask an administrator to grant it.</p>
      <div className="mt-6 flex flex-wrap justify-center gap-3">
        <ButtonLink href="/">Go to the home page</ButtonLink>
        <ButtonLink href="/signout" variant="secondary">
          Sign in with another account
        </ButtonLink>
      </div>
    </main>
  );
}
