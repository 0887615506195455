import { ButtonLink } from '@/components/ui/button';

export default function NotFound() {
  return (
    <main id="main" className="mx-auto flex min-h-dvh max-w-lg flex-col items-center justify-center px-4 text-center">
      <p className="text-sm font-semibold text-brand-700">404</p>
      <h1 className="mt-2 text-3xl font-bold tracking-tight">We could not find that page</h1>
      <p className="mt-3 text-slate-700">The link may be old or mistyped. Start again from the home page or the catalog.</p>
      <div className="mt-6 flex flex-wrap justify-center gap-3">
        <ButtonLink href="/">Home</ButtonLink>
        <ButtonLink href="/catalog" variant="secondary">
          Catalog
        </ButtonLink>
      </div>
    </main>
  );
}
