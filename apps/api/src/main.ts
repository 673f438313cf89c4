import 'reflect-metadata';
import { runRelais } from '@relais/platform';
import { ApiModule } from './api.module';

runRelais('api', [ApiModule]);
