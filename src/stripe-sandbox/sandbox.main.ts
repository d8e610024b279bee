/**
 * `npm run sandbox`: the sandbox alone on 127.0.0.1 (`SANDBOX_PORT`, default 12111), for an app started with
 * `STRIPE_API_BASE=http://127.0.0.1:12111` and any `sk_test_` key. State is in memory unless
 * `SANDBOX_STATE_FILE` (or `--state-file <path>`) names a journal file.
 */
import { StripeSandbox } from './stripe-sandbox.js';

const args = process.argv.slice(2);
const fileArg = args.indexOf('--state-file');
const stateFile = fileArg >= 0 ? args[fileArg + 1] : process.env.SANDBOX_STATE_FILE || undefined;
const port = Number(process.env.SANDBOX_PORT ?? 12111);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error('SANDBOX_PORT must be an integer from 0 to 65535');
  process.exit(1);
}

const sandbox = await StripeSandbox.start({
  port,
  stateFile,
  log: (line) => console.log(`[sandbox] ${line}`),
});
console.log(`Stripe sandbox listening on ${sandbox.url} (state: ${stateFile ?? 'in memory'})`);
console.log(
  `Use it with STRIPE_API_BASE=${sandbox.url} and any sk_test_ key; its clock is at ${sandbox.url}/_sandbox/clock`,
);

const stop = (): void => {
  void sandbox.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
