import path from 'node:path';

export const ADMIN = { email: 'admin@skypost.com', password: process.env.SEED_ADMIN_PASSWORD ?? 'admin-skypost-1' };
export const CUSTOMER = { email: 'user@example.com', password: process.env.SEED_CUSTOMER_PASSWORD ?? 'customer-skypost-1' };

export const authFile = (role: 'admin' | 'customer') => path.join(import.meta.dirname, '.auth', `${role}.json`);
