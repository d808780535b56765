import threading


class W:
    def run(self):
        pass

    def go(self):
        return threading.Thread(target=self.run)


W().go()
