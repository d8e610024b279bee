import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'app:public';

/** A host route that takes no bearer token (health, docs). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
