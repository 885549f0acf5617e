import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { CreateDetectorDto } from './create-detector.dto';
import type { Detector } from './detector';

/**
 * The registry, in memory: the example shows how a service trusts Tessera, not how it stores
 * its own data, so detectors last as long as the process.
 */
@Injectable()
export class DetectorStore {
  private readonly detectors = new Map<string, Detector>();

  list(): Detector[] {
    return [...this.detectors.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  get(id: string): Detector {
    const detector = this.detectors.get(id);
    if (!detector) throw new NotFoundException('No detector has this id.');
    return detector;
  }

  create(input: CreateDetectorDto, createdBy: string): Detector {
    if (this.list().some((detector) => detector.name === input.name)) {
      throw new ConflictException('A detector with this name exists.');
    }
    const detector: Detector = {
      id: randomUUID(),
      name: input.name,
      description: input.description ?? null,
      createdBy,
      createdAt: new Date().toISOString(),
    };
    this.detectors.set(detector.id, detector);
    return detector;
  }

  delete(id: string): void {
    if (!this.detectors.delete(id)) throw new NotFoundException('No detector has this id.');
  }
}
