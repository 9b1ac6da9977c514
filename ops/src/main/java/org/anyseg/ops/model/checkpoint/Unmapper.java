package org.anyseg.ops.model.checkpoint;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;

/**
 * Unmaps a memory-mapped buffer at once (Java otherwise unmaps at garbage collection, which
 * keeps a gigabyte checkpoint's pages resident long after its weights were copied). Uses
 * {@code sun.misc.Unsafe.invokeCleaner} of the {@code jdk.unsupported} module; where it is
 * not available, nothing happens and the collector unmaps later. A buffer must not be read
 * after it is unmapped.
 */
final class Unmapper {

	private static final Object UNSAFE;
	private static final Method CLEANER;

	static {
		Object u = null;
		Method m = null;
		try {
			final Class<?> c = Class.forName("sun.misc.Unsafe");
			final Field f = c.getDeclaredField("theUnsafe");
			f.setAccessible(true);
			u = f.get(null);
			m = c.getMethod("invokeCleaner", ByteBuffer.class);
		}
		catch (final ReflectiveOperationException | RuntimeException e) {
			u = null;
			m = null;
		}
		UNSAFE = u;
		CLEANER = m;
	}

	private Unmapper() {}

	static void unmap(final ByteBuffer b) {
		if (CLEANER == null || b == null || !b.isDirect()) return;
		try {
			CLEANER.invoke(UNSAFE, b);
		}
		catch (final ReflectiveOperationException | RuntimeException e) {
			// a slice or duplicate cannot be cleaned: the collector will unmap it
		}
	}
}
