import { config as zodConfig } from 'zod/v4/core';

// Set before zod builds any schema (./zod.ts imports this first): in the browser, zod skips its
// eval probe and uses the interpreted parser, which the page's CSP allows.
if (typeof window !== 'undefined') zodConfig({ jitless: true });
