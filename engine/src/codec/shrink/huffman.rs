//! The entropy-coded data of a JPEG scan: a bit reader that undoes byte stuffing and stops at
//! markers, and Huffman tables with a 9-bit lookup (ITU T.81, annex C and F.2.2).
//!
//! Nothing here panics: reading past the data or past a marker gives zero bits and sets
//! [`BitReader::overran`], and a code no table holds is `None`.

/// Bits looked up in one step; longer codes take the slow path.
const FAST_BITS: u32 = 9;

/// A Huffman table as defined by a DHT segment.
#[derive(Debug, Clone)]
pub(super) struct Huffman {
    /// For each `FAST_BITS`-bit prefix: the symbol and its code length (0 = not a short code).
    fast: Vec<(u8, u8)>,
    /// For lengths 1..=16: the largest code of that length, or -1.
    max_code: [i32; 17],
    /// For lengths 1..=16: index of the length's first symbol minus its first code.
    offset: [i32; 17],
    symbols: Vec<u8>,
}

impl Huffman {
    /// Builds a table from the 16 code counts and the symbols in code order; `None` when the
    /// counts describe more codes than fit their lengths.
    pub(super) fn new(counts: &[u8; 16], symbols: &[u8]) -> Option<Self> {
        let total: usize = counts.iter().map(|&c| usize::from(c)).sum();
        if total != symbols.len() || total > 256 {
            return None;
        }
        let mut fast = vec![(0u8, 0u8); 1 << FAST_BITS];
        let mut max_code = [-1i32; 17];
        let mut offset = [0i32; 17];
        let mut code = 0i32;
        let mut index = 0i32;
        for len in 1..=16u32 {
            let count = i32::from(counts[len as usize - 1]);
            offset[len as usize] = index - code;
            for _ in 0..count {
                if code >= 1 << len {
                    return None;
                }
                if len <= FAST_BITS {
                    let shift = FAST_BITS - len;
                    let first = (code as usize) << shift;
                    let symbol = symbols[index as usize];
                    for slot in &mut fast[first..first + (1 << shift)] {
                        *slot = (symbol, len as u8);
                    }
                }
                code += 1;
                index += 1;
            }
            if count > 0 {
                max_code[len as usize] = code - 1;
            }
            code <<= 1;
        }
        Some(Self {
            fast,
            max_code,
            offset,
            symbols: symbols.to_vec(),
        })
    }
}

/// Reads bits from entropy-coded data, MSB first.
pub(super) struct BitReader<'a> {
    data: &'a [u8],
    /// Next byte to read.
    pos: usize,
    acc: u64,
    bits: u32,
    /// A marker (or the end of the data) was reached; zeros are fed from here on.
    at_marker: bool,
    /// More bits were consumed than the data held.
    pub(super) overran: bool,
    /// Bits fed as padding after a marker or the end.
    padding: u32,
}

impl<'a> BitReader<'a> {
    pub(super) fn new(data: &'a [u8], pos: usize) -> Self {
        Self {
            data,
            pos,
            acc: 0,
            bits: 0,
            at_marker: false,
            overran: false,
            padding: 0,
        }
    }

    /// Where the marker that ended the data starts (or the end of the data).
    pub(super) fn position(&self) -> usize {
        self.pos
    }

    fn fill(&mut self) {
        while self.bits <= 56 {
            let byte = if self.at_marker {
                self.padding += 8;
                0
            } else {
                match self.data.get(self.pos) {
                    Some(&0xFF) => match self.data.get(self.pos + 1) {
                        Some(0x00) => {
                            self.pos += 2;
                            0xFF
                        }
                        _ => {
                            self.at_marker = true;
                            continue;
                        }
                    },
                    Some(&b) => {
                        self.pos += 1;
                        b
                    }
                    None => {
                        self.at_marker = true;
                        continue;
                    }
                }
            };
            self.acc |= u64::from(byte) << (56 - self.bits);
            self.bits += 8;
        }
    }

    fn consume(&mut self, n: u32) {
        self.acc <<= n;
        self.bits -= n;
        if self.at_marker && self.bits < self.padding {
            self.overran = true;
        }
    }

    /// The next `n` (0..=16) bits as a number.
    pub(super) fn bits(&mut self, n: u32) -> u32 {
        if n == 0 {
            return 0;
        }
        self.fill();
        let v = (self.acc >> (64 - n)) as u32;
        self.consume(n);
        v
    }

    pub(super) fn bit(&mut self) -> bool {
        self.bits(1) == 1
    }

    /// `n` bits as a signed value (the "extend" of T.81 F.2.2.1).
    pub(super) fn receive_extend(&mut self, n: u32) -> i32 {
        if n == 0 {
            return 0;
        }
        let v = self.bits(n) as i32;
        if v < 1 << (n - 1) {
            v - (1 << n) + 1
        } else {
            v
        }
    }

    /// Decodes one symbol; `None` for a code the table does not hold.
    pub(super) fn decode(&mut self, table: &Huffman) -> Option<u8> {
        self.fill();
        let (symbol, len) = table.fast[(self.acc >> (64 - FAST_BITS)) as usize];
        if len > 0 {
            self.consume(u32::from(len));
            return Some(symbol);
        }
        for len in FAST_BITS + 1..=16 {
            let code = (self.acc >> (64 - len)) as i32;
            if code <= table.max_code[len as usize] {
                self.consume(len);
                let index = code + table.offset[len as usize];
                return table.symbols.get(usize::try_from(index).ok()?).copied();
            }
        }
        None
    }

    /// At a restart interval's end: drops the bits in hand and skips to just after the RSTn
    /// marker that should follow.
    pub(super) fn restart(&mut self) {
        // What is left before the marker is padding: the bits in hand are dropped and the reader
        // moves on to the byte after the marker (wherever the read-ahead stopped before it).
        self.acc = 0;
        self.bits = 0;
        self.padding = 0;
        while let Some(&b) = self.data.get(self.pos) {
            if b == 0xFF {
                match self.data.get(self.pos + 1) {
                    Some(0xD0..=0xD7) => {
                        self.pos += 2;
                        break;
                    }
                    Some(0xFF) => self.pos += 1,
                    Some(0x00) => self.pos += 2,
                    _ => break,
                }
            } else {
                self.pos += 1;
            }
        }
        self.at_marker = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_codes_stuffing_and_stops_at_markers() {
        // Codes: 'a' = 0, 'b' = 10, 'c' = 110 (lengths 1, 2, 3).
        let mut counts = [0u8; 16];
        counts[..3].copy_from_slice(&[1, 1, 1]);
        let t = Huffman::new(&counts, b"abc").unwrap();
        // 0 10 110 0 0 | then 0xFF 0x00 (stuffed 0xFF), then a marker.
        let data = [0b0101_1000, 0xFF, 0x00, 0xFF, 0xD9];
        let mut r = BitReader::new(&data, 0);
        let got: Vec<u8> = (0..5).map(|_| r.decode(&t).unwrap()).collect();
        assert_eq!(got, b"abcaa");
        assert_eq!(r.bits(8), 0xFF);
        assert!(!r.overran);
        assert_eq!(r.bits(8), 0);
        assert!(r.overran);
        assert_eq!(r.position(), 3);
    }

    #[test]
    fn extend_gives_signed_values() {
        let data = [0b0001_1100, 0];
        let mut r = BitReader::new(&data, 0);
        assert_eq!(r.receive_extend(3), -7); // 000
        assert_eq!(r.receive_extend(3), 7); // 111
    }

    #[test]
    fn too_many_codes_are_refused() {
        let mut counts = [0u8; 16];
        counts[0] = 3;
        assert!(Huffman::new(&counts, b"abc").is_none());
    }
}
