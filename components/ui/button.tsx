import { PageLink } from './page-link';
import type { ComponentProps } from 'react';

type Variant = 'primary' | 'secondary' | 'ghost' | 'danger' | 'light' | 'inverse';
type Size = 'md' | 'lg';

const base =
  'inline-flex items-center justify-center gap-2 rounded-lg font-semibold transition-colors ' +
  'focus-visible:outline-2 focus-visible:outline-offset-2 disabled:cursor-not-allowed disabled:opacity-60';
const variants: Record<Variant, string> = {
  primary: 'bg-brand-700 text-white hover:bg-brand-800 focus-visible:outline-brand-700',
  secondary: 'border border-slate-300 bg-white text-slate-900 hover:bg-slate-100 focus-visible:outline-brand-700',
  ghost: 'text-slate-700 hover:bg-slate-100 focus-visible:outline-brand-700',
  danger: 'bg-red-700 text-white hover:bg-red-800 focus-visible:outline-red-700',
  // For dark backgrounds: a solid light button and an outlined one.
  light: 'bg-white text-brand-800 hover:bg-brand-50 focus-visible:outline-white',
  inverse: 'border border-white/70 bg-transparent text-white hover:bg-white/10 focus-visible:outline-white',
};
const sizes: Record<Size, string> = { md: 'min-h-10 px-4 py-2 text-sm', lg: 'min-h-12 px-6 py-3 text-base' };

export function buttonClasses(variant: Variant = 'primary', size: Size = 'md', extra = '') {
  return `${base} ${variants[variant]} ${sizes[size]} ${extra}`.trim();
}

export function Button({
  variant = 'primary',
  size = 'md',
  className = '',
  ...props
}: ComponentProps<'button'> & { variant?: Variant; size?: Size }) {
  return <button className={buttonClasses(variant, size, className)} {...props} />;
}

export function ButtonLink({
  variant = 'primary',
  size = 'md',
  className = '',
  ...props
}: ComponentProps<typeof PageLink> & { variant?: Variant; size?: Size }) {
  return <PageLink className={buttonClasses(variant, size, className)} {...props} />;
}
