import type { ValueTransformer } from 'typeorm';

/** bigint epoch milliseconds, which pg returns as strings, read back as numbers. */
export const epochMilliseconds: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null ? null : Number(value)),
};
