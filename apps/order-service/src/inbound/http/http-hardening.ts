import rateLimit from '@fastify/rate-limit';
import { HttpException, HttpStatus } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import helmet from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Environment } from '../../config/environment.js';
import { presentedApiKey } from './auth/api-key.guard.js';
import { ApiKeys } from './auth/api-keys.js';

/** The API answers GETs only: no request to it needs a body, so a large one is refused unread. */
export const HTTP_BODY_LIMIT_BYTES = 16 * 1024;

/** Probes and scrapes come from the cluster itself, often from one address: limiting them would fail pods. */
const UNLIMITED_PATHS = ['/health/', '/metrics'];

export interface HttpTimeouts {
  readonly headersMs: number;
  readonly requestMs: number;
  readonly connectionMs: number;
  readonly keepAliveMs: number;
}

export function httpTimeoutsOf(environment: Environment): HttpTimeouts {
  return {
    headersMs: environment.HTTP_HEADERS_TIMEOUT_MS,
    requestMs: environment.HTTP_REQUEST_TIMEOUT_MS,
    connectionMs: environment.HTTP_CONNECTION_TIMEOUT_MS,
    keepAliveMs: environment.HTTP_KEEP_ALIVE_TIMEOUT_MS,
  };
}

/** How often Node looks for requests past their headers or request timeout (its own default is 30 s). */
const TIMEOUT_CHECK_INTERVAL_MS = 1_000;

/**
 * The server's timeouts, so that no client holds a socket for long without sending a request: a
 * slow-loris client trickling header bytes meets `headersMs`, one trickling a body `requestMs`, a
 * silent one `connectionMs`, an idle keep-alive connection `keepAliveMs`. Fastify turns Node's
 * request timeout off unless told otherwise.
 */
export function serverTimeouts(timeouts: HttpTimeouts) {
  return {
    connectionTimeout: timeouts.connectionMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    requestTimeout: timeouts.requestMs,
    http: {
      headersTimeout: Math.min(timeouts.headersMs, timeouts.requestMs),
      requestTimeout: timeouts.requestMs,
      connectionsCheckingInterval: Math.min(TIMEOUT_CHECK_INTERVAL_MS, timeouts.headersMs),
    },
  };
}

export interface HttpHardeningSettings {
  /** Requests a minute per API key, or per client address without a valid key; 0 turns the limit off. */
  readonly rateLimitPerMinute: number;
}

/**
 * Security headers on every answer and, unless turned off, a rate limit; registered before any
 * route exists, as Fastify hooks apply to the routes registered after them.
 */
export async function hardenHttp(app: NestFastifyApplication, settings: HttpHardeningSettings): Promise<void> {
  const headers = securityHeaders();
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (_request, reply, done) => {
      reply.headers(headers);
      done();
    });
  if (settings.rateLimitPerMinute === 0) return;
  const keys = app.get(ApiKeys);
  await app.register(rateLimit, {
    max: settings.rateLimitPerMinute,
    timeWindow: 60_000,
    keyGenerator: (request) => rateLimitKey(request, keys),
    allowList: (request) => UNLIMITED_PATHS.some((path) => request.url.startsWith(path)),
    // Thrown into Nest's error handling, so the 429 has the body of every other error.
    errorResponseBuilder: (_request, { max, after }) =>
      new HttpException(
        `More than ${max} requests a minute for this API key (or, without a valid key, from this address); ` +
          `retry in ${after}.`,
        HttpStatus.TOO_MANY_REQUESTS,
      ),
  });
}

/** A valid key is counted by its position, never by its text; anything else by the client address. */
function rateLimitKey(request: FastifyRequest, keys: ApiKeys): string {
  const candidate = presentedApiKey(request);
  const index = candidate === null ? null : keys.indexOf(candidate);
  return index === null ? `address:${request.ip}` : `key:${index}`;
}

/**
 * The headers helmet sets, taken from one run of it at start: none of them depends on the request
 * (no directive is a function), and setting them on each reply in one call costs a fraction of
 * running helmet's chain of a dozen middlewares per request.
 */
function securityHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const capture = {
    setHeader: (name: string, value: string) => (headers[name] = value),
    removeHeader: () => undefined,
  };
  helmet({
    // Strict enough for JSON, loose enough for the Swagger UI at /docs: its scripts and styles are
    // files of its own, its page has inline styles and its icons are data: URLs.
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
  })({} as IncomingMessage, capture as unknown as ServerResponse, () => undefined);
  return headers;
}
