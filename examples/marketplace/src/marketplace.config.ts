/** The marketplace's environment, checked at boot: a missing or malformed variable stops it, named. */
export interface MarketplaceEnv {
  DATABASE_URL: string;
  AUTH_SECRET: string;
  STRIPE_SECRET_KEY: string;
  /** Optional: another Stripe-compatible server (the sandbox in tests). */
  STRIPE_API_BASE?: string;
  STRIPE_WEBHOOK_SECRET: string;
  STRIPE_CONNECT_WEBHOOK_SECRET: string;
  PUBLIC_URL: string;
  PORT: number;
}

export function validateEnv(env: Record<string, unknown>): MarketplaceEnv {
  const problems: string[] = [];
  const text = (name: string, pattern?: RegExp): string => {
    const value = typeof env[name] === 'string' ? env[name].trim() : '';
    if (!value) problems.push(`${name} is required`);
    else if (pattern && !pattern.test(value)) problems.push(`${name} is malformed`);
    return value;
  };
  const config: MarketplaceEnv = {
    DATABASE_URL: text('DATABASE_URL', /^postgres(ql)?:\/\//),
    AUTH_SECRET: text('AUTH_SECRET', /^.{32,}$/),
    STRIPE_SECRET_KEY: text('STRIPE_SECRET_KEY', /^(sk|rk)_(test|live)_\w+$/),
    STRIPE_API_BASE: typeof env.STRIPE_API_BASE === 'string' ? env.STRIPE_API_BASE : undefined,
    STRIPE_WEBHOOK_SECRET: text('STRIPE_WEBHOOK_SECRET', /^whsec_/),
    STRIPE_CONNECT_WEBHOOK_SECRET: text('STRIPE_CONNECT_WEBHOOK_SECRET', /^whsec_/),
    PUBLIC_URL: text('PUBLIC_URL', /^https?:\/\//),
    PORT: Number(env.PORT ?? 3000),
  };
  if (!Number.isInteger(config.PORT) || config.PORT < 0) problems.push('PORT is malformed');
  if (problems.length) throw new Error(`Bad environment: ${problems.join('; ')}`);
  return config;
}
