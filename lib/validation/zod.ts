// zod for every schema that may be built in the browser. Importing `z` from here (ESLint holds
// app/, components/ and lib/ to it) runs ./jitless first, so the browser never probes for
// eval: zod probes when it builds its first object schema, which is when a schema module is
// evaluated, and the page's CSP forbids eval, so the probe would only produce a violation
// report. On the server the setting is not applied and zod keeps its compiled fast path.
import './jitless';

export { z } from 'zod';
