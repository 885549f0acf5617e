import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'tessera:public';

/** Marks a route (or controller) as open: the global guard lets it through without a token. */
export const Public = () => SetMetadata(IS_PUBLIC, true);
