from channels.generic.websocket import AsyncJsonWebsocketConsumer


class HealthConsumer(AsyncJsonWebsocketConsumer):
    """A liveness socket for monitors: greets, then answers each ping with a pong.

    It touches no tenant data; it is also the bare baseline the chat load benchmark compares with.
    """

    async def connect(self):
        await self.accept()
        await self.send_json({"type": "hello", "service": "civicdesk"})

    async def receive_json(self, content, **kwargs):
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"type": "pong", "echo": content.get("echo")})
        else:
            await self.send_json({"type": "error", "code": "unknown_type", "message": 'Send {"type": "ping"}.'})

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        try:
            await super().receive(text_data=text_data, bytes_data=bytes_data, **kwargs)
        except ValueError:
            await self.send_json({"type": "error", "code": "bad_json", "message": "Frames must be JSON."})
