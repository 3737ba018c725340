import { AppError, type ImageStatus } from '../../contract';
import { appErrorFrom } from './image-presence';

/**
 * The tag of the training image once it is ready; a typed error asking to get it first otherwise, or,
 * while Docker does not answer, that error (the run then fails as `docker_gone`, not "image missing").
 * `createCore` gives it to the run service as `trainerImage`:
 *
 *   trainerImage: () => readyTrainerImage(engine.images)
 */
export async function readyTrainerImage(images: { status(): Promise<ImageStatus> }): Promise<string> {
  const status = await images.status();
  if (status.state === 'unknown' && status.error) throw appErrorFrom(status.error);
  if (status.state !== 'ready') {
    throw new AppError('not_available', 'The training image is not ready yet.', {
      fix: 'Open the environment page and get the training image (it downloads once), then start the run again.',
    });
  }
  return status.tag;
}
