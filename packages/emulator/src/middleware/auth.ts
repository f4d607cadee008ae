import type { MiddlewareHandler } from "hono";
import type { AppEnv, EmulatorContext } from "../context.js";
import { ApiError } from "../errors.js";

/** Resolves `Authorization: Bearer <key>` to its owner; 403 with the API's messages otherwise. */
export function bearerAuth(ctx: EmulatorContext): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const auth = c.req.header("authorization");
    if (!auth) throw new ApiError(403, "Missing API key: send the header Authorization: Bearer <your SLNG API key>");
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(auth);
    if (!match)
      throw new ApiError(403, "Malformed Authorization header: expected Authorization: Bearer <your SLNG API key>");
    const owner = ctx.owners.get(match[1] as string);
    if (!owner) throw new ApiError(403, "API key id not found");
    c.set("owner", owner);
    await next();
  };
}
