import { PageLink } from '@/components/ui/page-link';
import { getNow, getTranslations } from 'next-intl/server';
import { getCurrentUser } from '@/lib/auth/session';
import { cx } from '@/lib/cx';

const link = 'inline-flex min-h-10 items-center hover:text-slate-900 hover:underline';

/** Links by role: visitors can sign in or reach the operators' sign-in; customers never see either. */
export async function SiteFooter() {
  const [user, t, now] = await Promise.all([getCurrentUser(), getTranslations('site.footer'), getNow()]);
  const links: [string, string][] = [['/catalog', t('catalog')]];
  // The header already links a signed-in customer's own pages; the footer adds the inbox.
  if (!user) links.push(['/signin', t('signIn')], ['/admin', t('operators')]);
  else {
    links.push(['/notifications', t('notifications')]);
    if (user.role === 'admin') links.push(['/admin', t('admin')]);
  }
  return (
    <footer className="mt-16 border-t border-slate-200 bg-white">
      <div
        className={cx(
          'mx-auto flex max-w-6xl flex-col gap-2 px-4 py-6 text-sm text-slate-600',
          'sm:flex-row sm:items-center sm:justify-between',
        )}
      >
        <p>{t('tagline', { year: now.getFullYear() })}</p>
        <nav aria-label={t('nav')} className="flex flex-wrap gap-x-4">
          {links.map(([href, label]) => (
            <PageLink key={href} href={href} className={link}>
              {label}
            </PageLink>
          ))}
        </nav>
      </div>
    </footer>
  );
}
