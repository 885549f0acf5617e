import type { INestApplication, Type } from '@nestjs/common';
import { PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer, Reflector } from '@nestjs/core';
import { IS_PUBLIC } from '../auth/public.decorator';
import { REQUIRED_PERMISSIONS } from '../roles/require-permissions.decorator';

/** What the OpenAPI scan does not say about a handler, read from the metadata the app runs on. */
export interface RouteFacts {
  /** The Nest module that holds the controller, as a tag: `UserAdminModule` is `user-admin`. */
  tag: string;
  isPublic: boolean;
  /** What the global guard demands (handler over controller), empty when nothing. */
  permissions: string[];
  /** The class of a whole-object `@Query()` parameter, whose properties are the query string. */
  queryDto?: Type<unknown>;
}

function tagOf(moduleName: string): string {
  return moduleName
    .replace(/Module$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase();
}

function queryDtoOf(controller: Type<unknown>, method: string): Type<unknown> | undefined {
  const args: Record<string, { index: number; data?: unknown }> =
    Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) ?? {};
  const types: Type<unknown>[] =
    Reflect.getMetadata('design:paramtypes', controller.prototype, method) ?? [];
  const whole = Object.entries(args).find(
    ([key, arg]) => key.startsWith(`${RouteParamtypes.QUERY}:`) && arg.data === undefined,
  );
  const type = whole && types[whole[1].index];
  return type && type !== Object ? type : undefined;
}

/**
 * The facts of every route handler, keyed by the operation id `@nestjs/swagger` gives it by
 * default (`Controller_method`), so that the document can be completed operation by operation.
 */
export function routeFactsOf(app: INestApplication): Map<string, RouteFacts> {
  const reflector = app.get(Reflector);
  const facts = new Map<string, RouteFacts>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const { metatype } of module.controllers.values()) {
      const controller = metatype as Type<unknown> | null;
      if (!controller) continue;
      const prototype = controller.prototype as Record<string, unknown>;
      for (const method of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[method];
        if (method === 'constructor' || typeof handler !== 'function') continue;
        if (Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
        const targets = [handler, controller];
        facts.set(`${controller.name}_${method}`, {
          tag: tagOf(module.metatype.name),
          isPublic: reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets) ?? false,
          permissions: reflector.getAllAndOverride<string[]>(REQUIRED_PERMISSIONS, targets) ?? [],
          queryDto: queryDtoOf(controller, method),
        });
      }
    }
  }
  return facts;
}
