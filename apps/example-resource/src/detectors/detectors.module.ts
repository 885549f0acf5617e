import { Module } from '@nestjs/common';
import { DetectorStore } from './detector-store';
import { DetectorsController } from './detectors.controller';

@Module({ controllers: [DetectorsController], providers: [DetectorStore] })
export class DetectorsModule {}
