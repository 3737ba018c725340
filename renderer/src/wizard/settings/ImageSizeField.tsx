import { MIN_SUGGESTED_IMG_SIZE, PATCH_SIZE, suggestedImgSize } from '@contract';
import { formatCount } from '../../components/format';
import { TextField } from './FormFields';

/** "8×8 pixels". */
function sizeText(size: { width: number; height: number }): string {
  return `${formatCount(size.width)}×${formatCount(size.height)} pixels`;
}

/**
 * The image size: the rule (a multiple of 16, because the model cuts images into 16×16 patches), what
 * it costs, and the size that suits the user's pictures with a button to take it. Shown in Training on
 * the processor, where it matters most for the time, and in Advanced on a GPU.
 */
export function ImageSizeField({
  value,
  error,
  onChange,
  modelImgSize,
  typicalSize,
}: {
  value: string;
  error?: string;
  onChange: (imgSize: string) => void;
  /** The chosen model's own size (used when the field is empty). */
  modelImgSize: number | null;
  /** The scan's median picture size; absent before a scan. */
  typicalSize?: { width: number; height: number } | null;
}) {
  const suggestion = suggestedImgSize(typicalSize, modelImgSize ?? undefined);
  const current = value.trim() === '' ? modelImgSize : Number(value.trim());
  const pictures = typicalSize
    ? suggestion !== null && suggestion < (modelImgSize ?? 224)
      ? ` Your pictures are about ${sizeText(typicalSize)}: ${suggestion} suits them (their size rounded up to ${PATCH_SIZE}, at least ${MIN_SUGGESTED_IMG_SIZE}); more pixels would add work, not detail.`
      : ` Your pictures are about ${sizeText(typicalSize)}: the model’s own size suits them.`
    : '';
  const hint = (
    <>
      Images are resized to this square size. It must be a multiple of {PATCH_SIZE} (the model cuts images into{' '}
      {PATCH_SIZE}×{PATCH_SIZE} patches). Larger sees finer detail but is slower: twice the size, about four times the
      work. Empty: the model’s own{modelImgSize ? ` (${modelImgSize})` : ''}.{pictures}
      {suggestion !== null && current !== suggestion && (
        <>
          {' '}
          <button type="button" onClick={() => onChange(String(suggestion))}>
            Use {suggestion}
          </button>
        </>
      )}
    </>
  );
  return (
    <TextField
      id="image-size"
      label="Image size (pixels)"
      numeric="numeric"
      placeholder={modelImgSize ? String(modelImgSize) : 'model’s own'}
      value={value}
      error={error}
      onChange={onChange}
      hint={hint}
    />
  );
}
