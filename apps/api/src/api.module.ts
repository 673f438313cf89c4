import { Module } from '@nestjs/common';

/** The api role: HTTP commands in, queries out. Its controllers arrive with the case work. */
@Module({})
export class ApiModule {}
