namespace EdgeNet.Firmware.Fleet
{
    /// <summary>
    /// Received messages between the network client's thread and the main loop: a fixed number of
    /// slots of one frame each, allocated once. When every slot is full a new message is dropped and
    /// counted; the host's stop-and-wait resend (QoS 1 on top) makes up for it, so memory stays bounded
    /// however fast the broker delivers.
    /// </summary>
    public sealed class MessageQueue
    {
        private readonly byte[][] _slots;
        private readonly int[] _lengths;
        private readonly object _lock = new object();
        private int _head;   // next slot to take
        private int _count;

        public MessageQueue(int slots, int slotBytes)
        {
            _slots = new byte[slots][];
            _lengths = new int[slots];
            for (int i = 0; i < slots; i++) _slots[i] = new byte[slotBytes];
        }

        /// <summary>Messages dropped because the queue was full or the message longer than a slot.</summary>
        public int Dropped;

        public int Count { get { lock (_lock) return _count; } }

        /// <summary>Copies a message in (any thread); false when it was dropped.</summary>
        public bool Offer(byte[] data, int offset, int count)
        {
            lock (_lock)
            {
                if (_count == _slots.Length || count > _slots[0].Length || count < 0)
                {
                    Dropped++;
                    return false;
                }
                int slot = (_head + _count) % _slots.Length;
                byte[] s = _slots[slot];
                for (int i = 0; i < count; i++) s[i] = data[offset + i];
                _lengths[slot] = count;
                _count++;
                return true;
            }
        }

        /// <summary>Copies the oldest message out (main loop); its length, 0 when none waits, -1 when buffer is too small (it is dropped).</summary>
        public int Take(byte[] buffer, int offset, int count)
        {
            lock (_lock)
            {
                if (_count == 0) return 0;
                int slot = _head;
                _head = (_head + 1) % _slots.Length;
                _count--;
                int n = _lengths[slot];
                if (n > count)
                {
                    Dropped++;
                    return -1;
                }
                byte[] s = _slots[slot];
                for (int i = 0; i < n; i++) buffer[offset + i] = s[i];
                return n;
            }
        }
    }
}
