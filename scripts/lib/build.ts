import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = process.cwd();
export const nextBin = path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next');
const stampFile = path.join(root, '.next', 'skypost-build-fingerprint');

const BUILD_INPUTS = [
  'app',
  'components',
  'lib',
  'db',
  'i18n',
  'public',
  'types',
  'env.ts',
  'next.config.ts',
  'proxy.ts',
  'package.json',
  'package-lock.json',
  'postcss.config.mjs',
  'tsconfig.json',
];

/** A fingerprint of everything `next build` reads, so `npm start` rebuilds only after a change. */
export function sourceFingerprint(): string {
  const hash = createHash('sha256');
  const visit = (rel: string) => {
    const abs = path.join(root, rel);
    if (!existsSync(abs)) return;
    const st = statSync(abs);
    if (st.isDirectory()) {
      for (const name of readdirSync(abs).sort()) visit(path.join(rel, name));
    } else {
      hash.update(`${rel}\0${st.size}\0${st.mtimeMs}\n`);
    }
  };
  BUILD_INPUTS.forEach(visit);
  return hash.digest('hex');
}

export function buildIsCurrent(): boolean {
  return (
    existsSync(path.join(root, '.next', 'BUILD_ID')) &&
    existsSync(stampFile) &&
    readFileSync(stampFile, 'utf8') === sourceFingerprint()
  );
}

/** Runs `next build` (never migrations) and records what it was built from. Resolves to the exit code. */
export function buildProduction(): Promise<number> {
  const fingerprint = sourceFingerprint();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [nextBin, 'build'], {
      stdio: 'inherit',
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
    });
    child.on('exit', (code, signal) => {
      const result = code ?? (signal ? 1 : 0);
      if (result === 0) writeFileSync(stampFile, fingerprint);
      resolve(result);
    });
  });
}
