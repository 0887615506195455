import Link from 'next/link';

export function SiteFooter() {
  return (
    <footer className="mt-16 border-t border-slate-200 bg-white">
      <div className="mx-auto flex max-w-6xl flex-col gap-2 px-4 py-6 text-sm text-slate-600 sm:flex-row sm:items-center sm:justify-between">
        <p>© {new Date().getFullYear()} SkyPost. Drone delivery to parcel lockers.</p>
        <nav aria-label="Footer" className="flex gap-4">
          <Link href="/catalog" className="hover:text-slate-900 hover:underline">
            Catalog
          </Link>
          <Link href="/signin" className="hover:text-slate-900 hover:underline">
            Sign in
          </Link>
          <Link href="/admin" className="hover:text-slate-900 hover:underline">
            Operators
          </Link>
        </nav>
      </div>
    </footer>
  );
}
