import { PageLink } from '@/components/ui/page-link';

export function Logo({ href = '/', label = 'SkyPost home' }: { href?: string; label?: string }) {
  return (
    <PageLink href={href} className="flex items-center gap-2 rounded-md font-bold text-slate-900" aria-label={label}>
      <svg aria-hidden="true" viewBox="0 0 32 32" className="h-8 w-8">
        <rect width="32" height="32" rx="8" className="fill-brand-700" />
        <path d="M7 12h6M19 12h6M10 12v3M22 12v3" stroke="white" strokeWidth="2" strokeLinecap="round" />
        <rect x="12" y="14" width="8" height="5" rx="1.5" fill="white" />
        <path d="M13 22h6v4h-6z" fill="white" opacity="0.85" />
      </svg>
      <span className="text-lg tracking-tight">SkyPost</span>
    </PageLink>
  );
}
