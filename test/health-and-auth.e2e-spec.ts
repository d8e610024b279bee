import { Body, Controller, Get, Inject, Post, UseFilters, UseGuards } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsString, Length, Min, ValidateNested } from 'class-validator';
import request from 'supertest';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signAuthToken } from '../src/auth/jwt.js';
import {
  ConnectUser,
  STRIPE_CLIENT,
  StripeConnectAuthGuard,
  StripeConnectExceptionFilter,
  type StripeConnectUser,
} from '../src/stripe-connect/index.js';
import { createTestApp, type TestApp } from './support/test-app.js';

class AddressInput {
  @IsString()
  @Length(2, 2)
  country: string;
}

class EchoInput {
  @IsInt()
  @Min(1)
  amount: number;

  @ValidateNested()
  @Type(() => AddressInput)
  address: AddressInput;
}

/** A route shaped like the library's own: the library's guard, filter and Stripe client. */
@Controller('test-connect')
@UseGuards(StripeConnectAuthGuard)
@UseFilters(StripeConnectExceptionFilter)
class ProbeController {
  constructor(@Inject(STRIPE_CLIENT) private readonly stripe: Stripe) {}

  @Get('me')
  me(@ConnectUser() user: StripeConnectUser): StripeConnectUser {
    return user;
  }

  @Post('echo')
  echo(@Body() input: EchoInput): { amount: number; isDto: boolean } {
    return { amount: input.amount, isDto: input instanceof EchoInput };
  }

  @Get('balance')
  async balance(): Promise<unknown> {
    return this.stripe.balance.retrieve();
  }
}

describe('health, authentication and the no-Stripe mode', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ controllers: [ProbeController] });
  });
  afterAll(() => t.close());

  it('answers /health with 200 and the database up, without a token', async () => {
    const response = await request(t.app.getHttpServer()).get('/health').expect(200);
    expect(response.body).toEqual({ status: 'ok', database: 'up' });
  });

  it('serves the OpenAPI document without a token', async () => {
    const response = await request(t.app.getHttpServer()).get('/docs-json').expect(200);
    expect(response.body.openapi).toMatch(/^3\./);
    expect(Object.keys(response.body.paths)).toContain('/health');
  });

  it('answers 401 without a token', async () => {
    const response = await request(t.app.getHttpServer()).get('/test-connect/me').expect(401);
    expect(response.body.message).toBe('A bearer token is required');
  });

  it('answers 401 for a token signed with another secret', async () => {
    const forged = await signAuthToken('another-secret-another-secret-another', 'user-1');
    await request(t.app.getHttpServer())
      .get('/test-connect/me')
      .set('Authorization', `Bearer ${forged}`)
      .expect(401);
  });

  it('answers 401 for a malformed or expired token', async () => {
    await request(t.app.getHttpServer())
      .get('/test-connect/me')
      .set('Authorization', 'Bearer not.a.jwt')
      .expect(401);
    const expired = await signAuthToken(t.config.auth.jwtSecret, 'user-1', { expiresIn: '-1m' });
    await request(t.app.getHttpServer())
      .get('/test-connect/me')
      .set('Authorization', `Bearer ${expired}`)
      .expect(401);
  });

  it('passes the user id of a valid token to the handler through getUser', async () => {
    const response = await request(t.app.getHttpServer())
      .get('/test-connect/me')
      .set('Authorization', `Bearer ${await t.token('user-42')}`)
      .expect(200);
    expect(response.body).toEqual({ id: 'user-42', platform: false });

    const platform = await request(t.app.getHttpServer())
      .get('/test-connect/me')
      .set('Authorization', `Bearer ${await t.token('back-office', { platform: true })}`)
      .expect(200);
    expect(platform.body).toEqual({ id: 'back-office', platform: true });
  });

  it('answers 503 saying why on a route that needs Stripe when Stripe is not configured', async () => {
    const response = await request(t.app.getHttpServer())
      .get('/test-connect/balance')
      .set('Authorization', `Bearer ${await t.token('user-42')}`)
      .expect(503);
    expect(response.body).toEqual({
      statusCode: 503,
      code: 'stripe_unavailable',
      message: 'Stripe is not configured in this test',
    });
  });

  it('validates bodies with field-level errors, refusing unknown fields', async () => {
    const token = await t.token('user-42');
    const bad = await request(t.app.getHttpServer())
      .post('/test-connect/echo')
      .set('Authorization', `Bearer ${token}`)
      .send({ amount: 0, address: { country: 'USA' }, admin: true })
      .expect(400);
    expect(bad.body).toMatchObject({ statusCode: 400, code: 'validation_failed' });
    expect(Object.keys(bad.body.errors).sort()).toEqual(['address.country', 'admin', 'amount']);
    expect(bad.body.errors.admin).toEqual(['property admin should not exist']);

    const good = await request(t.app.getHttpServer())
      .post('/test-connect/echo')
      .set('Authorization', `Bearer ${token}`)
      .send({ amount: 5, address: { country: 'US' } })
      .expect(201);
    expect(good.body).toEqual({ amount: 5, isDto: true });
  });
});
