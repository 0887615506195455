// The multipart parser Next.js bundles (and uses for server actions); it ships no types.
declare module 'next/dist/compiled/busboy' {
  import type { Writable } from 'node:stream';

  type Busboy = Writable & {
    on(event: 'field', listener: (name: string, value: string) => void): Busboy;
    on(event: 'file', listener: (name: string, stream: NodeJS.ReadableStream) => void): Busboy;
    on(event: 'error', listener: (err: unknown) => void): Busboy;
    on(event: 'close', listener: () => void): Busboy;
    on(event: 'finish', listener: () => void): Busboy;
  };

  export default function busboy(config: {
    headers: Record<string, string>;
    defParamCharset?: string;
    limits?: { fieldSize?: number };
  }): Busboy;
}
