import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../../electron/contract';
import { parseCsv, predictionRows } from '../../../../../electron/core/runs/predictions/run-predict';

describe('parseCsv', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, and CRLF line ends', () => {
    const text = 'a,b,c\r\n"x, y","say ""hi""","two\nlines"\r\nplain,,end\r\n';
    expect(parseCsv(text)).toEqual([
      ['a', 'b', 'c'],
      ['x, y', 'say "hi"', 'two\nlines'],
      ['plain', '', 'end'],
    ]);
  });

  it('keeps a last line without a line break', () => {
    expect(parseCsv('a,b\n1,2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });
});

describe('predictionRows', () => {
  // As deit_trainer predict writes it (Python's csv module, \r\n line ends).
  const csv = [
    'path,predicted,confidence,top_k,error',
    '/images/cats/a.jpg,cat,0.912000,cat:0.912000;dog:0.088000,',
    '"/images/odd, name.png",dog,0.600000,dog:0.600000;cat:0.400000,',
    '/images/broken.jpg,,,,not a readable image (unknown or corrupt format)',
    '/images/b.png,a:b,0.700000,a:b:0.700000;cat:0.300000,',
    '',
  ].join('\r\n');

  it('gives each file relative to the folder, its class, confidence and the other likely classes', () => {
    expect(predictionRows(csv)).toEqual([
      {
        file: 'cats/a.jpg',
        predicted: 'cat',
        confidence: 0.912,
        topK: [
          { label: 'cat', probability: 0.912 },
          { label: 'dog', probability: 0.088 },
        ],
        error: null,
      },
      {
        file: 'odd, name.png',
        predicted: 'dog',
        confidence: 0.6,
        topK: [
          { label: 'dog', probability: 0.6 },
          { label: 'cat', probability: 0.4 },
        ],
        error: null,
      },
      {
        file: 'broken.jpg',
        predicted: null,
        confidence: null,
        topK: [],
        error: 'not a readable image (unknown or corrupt format)',
      },
      {
        file: 'b.png',
        predicted: 'a:b', // a class name with a colon in it
        confidence: 0.7,
        topK: [
          { label: 'a:b', probability: 0.7 },
          { label: 'cat', probability: 0.3 },
        ],
        error: null,
      },
    ]);
  });

  it('refuses a file of another layout with a typed error', () => {
    expect(() => predictionRows('file,label\nx,y\n')).toThrow(AppError);
  });
});
