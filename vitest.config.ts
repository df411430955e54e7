import { defineConfig } from 'vitest/config'

// Unit and integration tests live in test/; the fuzz campaigns in fuzz/ run a short seeded
// version inside `npm test` and a long one under `npm run fuzz` (FUZZ=long, FUZZ_RUNS=N).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'fuzz/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
})
