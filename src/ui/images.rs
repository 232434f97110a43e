//! PNG assets decoded into Slint images.

use slint::{Image, Rgba8Pixel, SharedPixelBuffer};

/// Decodes PNG bytes (any colour type and depth) into an image; None when
/// the bytes are not a PNG this decoder reads (the caller shows the caption).
pub fn decode_png(bytes: &[u8]) -> Option<Image> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().ok()?;
    let mut data = vec![0; reader.output_buffer_size()?];
    let info = reader.next_frame(&mut data).ok()?;
    let data = &data[..info.buffer_size()];
    let rgba: Vec<u8> = match info.color_type {
        png::ColorType::Rgba => data.to_vec(),
        png::ColorType::Rgb => data
            .chunks_exact(3)
            .flat_map(|p| [p[0], p[1], p[2], 255])
            .collect(),
        png::ColorType::GrayscaleAlpha => data
            .chunks_exact(2)
            .flat_map(|p| [p[0], p[0], p[0], p[1]])
            .collect(),
        png::ColorType::Grayscale => data.iter().flat_map(|g| [*g, *g, *g, 255]).collect(),
        png::ColorType::Indexed => return None,
    };
    from_rgba(info.width, info.height, &rgba)
}

fn from_rgba(width: u32, height: u32, bytes: &[u8]) -> Option<Image> {
    let mut buffer = SharedPixelBuffer::<Rgba8Pixel>::new(width, height);
    let target = buffer.make_mut_bytes();
    if target.len() != bytes.len() {
        return None;
    }
    target.copy_from_slice(bytes);
    Some(Image::from_rgba8(buffer))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_the_demo_map_and_rejects_garbage() {
        let bytes = include_bytes!("../../content/demo/assets/maps/tianhe-sports-centre.png");
        let image = decode_png(bytes).expect("the demo map decodes");
        assert_eq!((image.size().width, image.size().height), (960, 600));
        assert!(decode_png(b"not a png").is_none());
    }
}
