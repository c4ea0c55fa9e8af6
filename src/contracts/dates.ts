/**
 * Dates in requests, each within a range its domain needs: a calendar day or an instant from the
 * year 1900 to 9999 (PostgreSQL and JavaScript agree on those; far-past years only hide typing
 * mistakes), and ends of service near today.
 */
import { z } from 'zod';
import { FIELD_MESSAGES } from './field-messages.js';

const DAY_MS = 24 * 3600_000;
/** How far ahead an end of service can be set. */
export const END_OF_SERVICE_MAX_YEARS = 5;

const inYears = (year: number) => year >= 1900 && year <= 9999;

/** A calendar day, YYYY-MM-DD, from 1900-01-01 to 9999-12-31. */
export const isoDate = z.iso.date().refine((v) => inYears(Number(v.slice(0, 4))), FIELD_MESSAGES.date_range);

/** An instant with its offset (ISO 8601), from the year 1900 to 9999. */
export const isoInstant = z.iso.datetime({ offset: true }).refine((v) => inYears(new Date(v).getUTCFullYear()), FIELD_MESSAGES.date_range);

/** The latest end of service accepted now. */
export const latestEndOfService = (now = Date.now()) => now + END_OF_SERVICE_MAX_YEARS * 365.25 * DAY_MS;

/**
 * An end of service from `earliestDaysAgo` days before now (a day covers "today" wherever the
 * person is) to END_OF_SERVICE_MAX_YEARS ahead; checked when the request comes.
 */
export const endOfService = (earliestDaysAgo: number, message: string) =>
  isoInstant.refine((v) => {
    const at = Date.parse(v);
    return at >= Date.now() - earliestDaysAgo * DAY_MS && at <= latestEndOfService();
  }, message);
