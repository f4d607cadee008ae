import type { TestProject } from "vitest/node";
import { createPg, removePg, type TestPg } from "./test-pg.js";

declare module "vitest" {
  export interface ProvidedContext {
    pg: TestPg;
  }
}

/** vitest globalSetup: one real PostgreSQL server for the package's tests, removed after. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const pg = await createPg();
  project.provide("pg", pg);
  return () => removePg(pg);
}
