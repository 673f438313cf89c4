import { DynamicModule, Global, Module } from '@nestjs/common';
import { RelaisConfig } from './config';

export const RELAIS_CONFIG = Symbol('RELAIS_CONFIG');

@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: RelaisConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: RELAIS_CONFIG, useValue: config }],
      exports: [RELAIS_CONFIG],
    };
  }
}
